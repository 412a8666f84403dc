/**
 * Stands in, on the dev server only, for the Node built-ins (`node:fs`, `node:path`, ...) that @nntk
 * packages' entries import for their Node-only file readers; every function throws if called.
 */
function nodeOnly(name: string): () => never {
  return () => {
    throw new Error(`${name} is Node-only and is not available in the browser`);
  };
}

export const existsSync = nodeOnly('fs.existsSync');
export const createReadStream = nodeOnly('fs.createReadStream');
export const createWriteStream = nodeOnly('fs.createWriteStream');
export const readFile = nodeOnly('fs.readFile');
export const mkdir = nodeOnly('fs.mkdir');
export const rename = nodeOnly('fs.rename');
export const rm = nodeOnly('fs.rm');
export const stat = nodeOnly('fs.stat');
export const readdir = nodeOnly('fs.readdir');
export const join = nodeOnly('path.join');
export const dirname = nodeOnly('path.dirname');
export const fileURLToPath = nodeOnly('url.fileURLToPath');
export const gunzipSync = nodeOnly('zlib.gunzipSync');
export const constants = {};
export const createHash = nodeOnly('crypto.createHash');
export const homedir = nodeOnly('os.homedir');
export default {};
