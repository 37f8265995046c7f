// The files of a drop, folders walked: a dropped folder (a clone's `rules/`, say) arrives as a
// directory entry whose files the File and Directory Entries API lists, a batch at a time.
// Resolves to an array of [file, path] pairs (path relative to the dropped folder's parent).
function entriesOf(reader) {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry, out) {
  if (entry.isFile) {
    out.push([await fileOf(entry), entry.fullPath.replace(/^\//, "")]);
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    for (let batch = await entriesOf(reader); batch.length > 0; batch = await entriesOf(reader)) {
      for (const child of batch) await walk(child, out);
    }
  }
}

export async function droppedFiles(dataTransfer) {
  // Entries must be taken before the first await: the DataTransfer is emptied after the event.
  const entries = [...dataTransfer.items].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  if (entries.length === 0) return [...dataTransfer.files].map((f) => [f, f.name]);
  const out = [];
  for (const entry of entries) await walk(entry, out);
  return out;
}
