// Rule packs (reading a pack's files, running it over the events, an opened rule's
// checklists) live in a WebAssembly module of their own, fetched by the worker the first time a
// pack is opened. wasm-bindgen copies this file to snippets/<crate>/js/, three folders below the
// site's root.
let runner;

async function load() {
  runner ??= import("../../../pack_runner.js").then(async (module) => {
    await module.default();
    return module;
  });
  return runner;
}

export async function readRulePack(files) {
  return (await load()).read_rule_pack(files);
}

export async function runRulePack(id, text, progress) {
  return (await load()).run_rule_pack(id, text, progress);
}

export async function packRule(index, languages) {
  return (await load()).pack_rule(index, languages);
}

export async function packAlerts() {
  return (await load()).pack_alerts();
}
