// Lambda bundles only (esbuild --alias:fontkit): fontkit (and the brotli decoder it brings, ~700 KB) serve
// embedded TrueType fonts; certificates use the standard PDF fonts, so embedding is refused instead of bundled.
export function create(): never {
  throw new Error('embedded fonts are not bundled: use the standard PDF fonts');
}
