// The trainer (exercise packs and their checker, with the engine and a TOML reader) is a
// WebAssembly module of its own, fetched the first time the Learn tab is opened. wasm-bindgen
// copies this file to snippets/<crate>/js/, three folders below the site's root.
let trainer;

async function load() {
  trainer ??= import("../../../trainer.js").then(async (module) => {
    await module.default();
    return module;
  });
  return trainer;
}

export async function openBuiltinCourse() {
  return (await load()).open_builtin();
}

export async function openPack(bytes, name) {
  return (await load()).open_pack(bytes, name);
}

export async function openLinkedPack(json) {
  return (await load()).open_link(json);
}

export async function packJson() {
  return (await load()).pack_json();
}

export async function checkAnswer(exercise, isQuery, text, lang, hintsTaken, details) {
  return (await load()).check(exercise, isQuery, text, lang, hintsTaken, details);
}
