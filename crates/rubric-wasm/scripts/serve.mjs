// A tiny static server for the scoring page, on 127.0.0.1 only.
//   /            -> crates/rubric-wasm/web/      (the page)
//   /pkg/        -> crates/rubric-wasm/pkg/web/  (the --target web build)
//   /fixtures/   -> fixtures/                    (example transcripts; the page works without them)
// Usage: node scripts/serve.mjs [PORT]   (default 8765; PORT 0 picks a free port)
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const crateDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoDir = path.resolve(crateDir, "../..");

const MOUNTS = [
  ["/pkg/", path.join(crateDir, "pkg/web")],
  ["/fixtures/", path.join(repoDir, "fixtures")],
  ["/", path.join(crateDir, "web")],
];

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
  ".vtt": "text/vtt; charset=utf-8",
  ".yaml": "text/yaml; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

/** Maps a URL path to a file inside one of the mounts, or null. */
function resolve(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  for (const [prefix, dir] of MOUNTS) {
    if (!decoded.startsWith(prefix)) continue;
    const file = path.resolve(dir, "." + path.posix.normalize("/" + decoded.slice(prefix.length)));
    if (file !== dir && !file.startsWith(dir + path.sep)) return null;
    try {
      const stat = statSync(file);
      if (stat.isDirectory()) {
        const index = path.join(file, "index.html");
        return statSync(index).isFile() ? index : null;
      }
      return stat.isFile() ? file : null;
    } catch {
      return null;
    }
  }
  return null;
}

export function startServer({ port = 8765, host = "127.0.0.1", quiet = false } = {}) {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const file = request.method === "GET" || request.method === "HEAD" ? resolve(url.pathname) : null;
    if (!file) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      response.end("not found\n");
      return;
    }
    response.writeHead(200, {
      "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    if (request.method === "HEAD") response.end();
    else createReadStream(file).pipe(response);
    if (!quiet) console.log(`${request.method} ${url.pathname}`);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolvePromise(server));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8765);
  const server = await startServer({ port, quiet: true });
  const { port: actual } = server.address();
  console.log(`Scoring page: http://127.0.0.1:${actual}/   (Ctrl+C to stop)`);
}
