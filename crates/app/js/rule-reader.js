// Reading rule files (TOML, Kibana exports) and building their checklists needs a TOML reader
// and a Markdown parser the page rarely uses, so they live in a WebAssembly module of their own,
// fetched the first time a rule file is opened. wasm-bindgen copies this file to
// snippets/<crate>/js/, three folders below the site's root.
let reader;

export async function readRuleFile(text, languages) {
  reader ??= import("../../../rule_reader.js").then(async (module) => {
    await module.default();
    return module;
  });
  const module = await reader;
  return module.read_rule_file(text, languages);
}
