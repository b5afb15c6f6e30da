// Writes the files of a rendered ConfigMap (by name prefix, since generated names carry a hash) into a
// directory, as a volume mount would show them. Usage: node dist/configmap.js <overlay-dir> <name-prefix> <dir>
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { render } from "./render.js";

const [overlay, prefix, dir] = process.argv.slice(2);
if (!overlay || !prefix || !dir) { console.error("usage: configmap.js <overlay-dir> <name-prefix> <dir>"); process.exit(2); }
const cm = render(overlay).all("ConfigMap").find((c) => c.metadata.name.startsWith(prefix));
if (!cm) { console.error(`configmap: no ConfigMap named ${prefix}*`); process.exit(1); }
for (const [name, text] of Object.entries<string>(cm.data ?? {})) writeFileSync(join(dir, name), text);
