// `npm run bench -- <name>`: append | bundles | coldstart | cost | rebuild | verify | soak | twin | scale.
const benches: Record<string, () => Promise<unknown>> = {
  append: () => import('./append.js'),
  bundles: () => import('./bundles.js'),
  coldstart: () => import('./coldstart.js'),
  cost: () => import('./cost.js'),
  rebuild: () => import('./rebuild.js'),
  verify: () => import('./verify.js'),
  soak: () => import('./soak.js'),
  twin: () => import('./twin.js'),
  scale: () => import('./scale.js'),
};
const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const chosen = names.length ? names : ['append'];
for (const name of chosen) {
  const load = benches[name];
  if (!load) {
    console.error(`unknown bench ${name}; known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  await load();
}
