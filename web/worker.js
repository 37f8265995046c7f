// The page's worker: the same WebAssembly module, running the engine off the page's thread.
// The page's first message is its compiled module, so the wasm is fetched and compiled once;
// requests that arrive while the module starts are kept and replayed once it is ready.
import init, { worker_main } from "../app.js";
const early = [];
self.onmessage = async (first) => {
  self.onmessage = (event) => early.push(event);
  await init({ module_or_path: first.data });
  worker_main();
  for (const event of early) self.onmessage(event);
};
