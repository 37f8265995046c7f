// Starts the WebAssembly app; kept in a file because the page's CSP forbids inline scripts.
// A share link is read first, so the app starts with the shared session.
import init from "../app.js";
import { openLink } from "./share.js";
await openLink(location.hash);
init();
