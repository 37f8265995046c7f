// Starts the WebAssembly app; kept in a file because the page's CSP forbids inline scripts.
import init from "../app.js";
init();
