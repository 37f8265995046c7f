// The WebAssembly modules fetched the first time they are needed, so that the page's own module
// stays small: the rule reader (a rule file opened) and the trainer (the Learn tab) in the page;
// the converter (a Windows event log) and the pack runner (a rule pack) in the worker. Each is
// imported and started once per page or worker. wasm-bindgen copies this file to
// snippets/<crate>/js/, three folders below the site's root, where the modules are.
const started = new Map();

function load(name) {
  if (!started.has(name)) {
    started.set(name, import(`../../../${name}.js`).then(async (module) => {
      await module.default();
      return module;
    }));
  }
  return started.get(name);
}

// The rule reader: rule files (TOML, Kibana exports) and their checklists.
export async function readRuleFile(text, languages) {
  return (await load("rule_reader")).read_rule_file(text, languages);
}

// The trainer: exercise packs and their checker.
export async function openBuiltinCourse() {
  return (await load("trainer")).open_builtin();
}

export async function openPack(bytes, name) {
  return (await load("trainer")).open_pack(bytes, name);
}

export async function openLinkedPack(json) {
  return (await load("trainer")).open_link(json);
}

export async function packJson() {
  return (await load("trainer")).pack_json();
}

export async function checkAnswer(exercise, isQuery, text, lang, hintsTaken, details) {
  return (await load("trainer")).check(exercise, isQuery, text, lang, hintsTaken, details);
}

// The converter: Windows event logs (.evtx, XML, winlogbeat JSON) to ECS.
export async function convertWindowsLog(bytes, format, hostId) {
  return (await load("converter")).convert(bytes, format, hostId);
}

// The pack runner: a rule pack's files read, run over the events, an opened rule's checklists.
export async function readRulePack(files) {
  return (await load("pack_runner")).read_rule_pack(files);
}

export async function runRulePack(id, text, progress) {
  return (await load("pack_runner")).run_rule_pack(id, text, progress);
}

export async function packRule(index, languages) {
  return (await load("pack_runner")).pack_rule(index, languages);
}

export async function packRuleExceptions(index) {
  return (await load("pack_runner")).pack_rule_exceptions(index);
}

export async function packAlerts() {
  return (await load("pack_runner")).pack_alerts();
}
