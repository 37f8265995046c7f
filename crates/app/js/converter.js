// The converter (Windows event logs → ECS, with the .evtx and XML readers) is a WebAssembly
// module of its own, fetched by the worker the first time such a log is opened. wasm-bindgen
// copies this file to snippets/<crate>/js/, three folders below the site's root.
let converter;

async function load() {
  converter ??= import("../../../converter.js").then(async (module) => {
    await module.default();
    return module;
  });
  return converter;
}

export async function convertWindowsLog(bytes, format, hostId) {
  return (await load()).convert(bytes, format, hostId);
}
