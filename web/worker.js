// The page's worker: the same WebAssembly module, running the engine off the page's thread.
// Messages that arrive while the module loads are kept and replayed once it is ready.
const early = [];
self.onmessage = (event) => early.push(event);
import init, { worker_main } from "../app.js";
await init();
worker_main();
for (const event of early) self.onmessage(event);
