// Share links: `#s=` (a session) or `#p=` (an exercise pack's files) + base64url(deflate-raw(JSON)),
// compressed and read with the browser's own CompressionStream, so the page carries no deflate
// code. The page opens a link before the app starts (see boot.js), so the app reads it
// synchronously.

// Inflated links larger than this are refused (a link is typed or pasted by someone else).
const MAX_INFLATED = 8 * 1024 * 1024;

let opened = null;

// Reads the link in `hash`, if it is one; `openedLink()` then holds its kind ("s" or "p") and
// its JSON, or its error.
export async function openLink(hash) {
  const kind = hash.slice(1, 2);
  if (!(hash.startsWith("#s=") || hash.startsWith("#p="))) return;
  try {
    opened = { kind, json: new TextDecoder("utf-8", { fatal: true }).decode(await inflate(fromBase64Url(hash.slice(3).trim()))) };
  } catch (e) {
    opened = { kind, error: `damaged ${kind === "p" ? "pack" : "share"} link: ${e instanceof Error ? e.message : e}` };
  }
}

export function openedLink() {
  return opened;
}

// The fragment for a session's JSON (kind "s") or a pack's files (kind "p").
export async function packLink(kind, json) {
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return `#${kind}=` + toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

async function inflate(bytes) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_INFLATED) {
      await reader.cancel();
      throw new Error("larger than 8 MB");
    }
    chunks.push(value);
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

function toBase64Url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
