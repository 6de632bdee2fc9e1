// @jax-js/jax peer: a jitted step h = tanh(h @ W) on the wasm (CPU) backend, float32.
// usage: node jaxjs_peer.mjs H DIR SECONDS LABEL   (this file must sit beside node_modules/@jax-js/jax)
// Same protocol as numpy_peer.py: writes DIR/out_{LABEL}_{H}_T.bin and _1.bin, prints one JSON line.
import { readFileSync, writeFileSync } from "node:fs";
import { numpy as np, jit, init, defaultDevice } from "@jax-js/jax";

const [H, dir, seconds, label] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4]), process.argv[5]];
const devices = await init("wasm");
defaultDevice("wasm");
const read = (name) => {
  const b = readFileSync(`${dir}/${name}`);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4).slice();
};
const wData = read(`W${H}.bin`);
const xData = read(`x${H}.bin`);
const W = np.array(wData).reshape([H, H]);
const step = jit((h, w) => np.tanh(np.matmul(h, w)));

async function run(T) {
  let h = np.array(xData.slice());
  for (let i = 0; i < T; i++) h = step(h, W.ref);
  return await h.data();
}

await run(2);
let T = 1, dt = 0;
for (;;) {
  const t0 = performance.now();
  await run(T);
  dt = (performance.now() - t0) / 1000;
  if (dt >= 0.1 * seconds) break;
  T *= 4;
}
T = Math.max(1, Math.round(seconds * T / dt));
const t0 = performance.now();
const hT = await run(T);
dt = (performance.now() - t0) / 1000;
const h1 = await run(1);
writeFileSync(`${dir}/out_${label}_${H}_T.bin`, Buffer.from(new Float32Array(hT).buffer));
writeFileSync(`${dir}/out_${label}_${H}_1.bin`, Buffer.from(new Float32Array(h1).buffer));
console.log(JSON.stringify({ us: dt / T * 1e6, steps: T, devices, sharedArrayBuffer: typeof SharedArrayBuffer !== "undefined" }));
