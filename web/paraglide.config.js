// One set of paraglide compiler options, shared by the Vite plugin and scripts/i18n.mjs.
import nodeFs from 'node:fs';
import path from 'node:path';

const project = path.resolve(import.meta.dirname, 'project.inlang');
const WRITES = ['writeFile', 'mkdir', 'rm', 'rmdir', 'unlink', 'rename', 'appendFile', 'copyFile'];

/** @param {unknown} file */
const insideProject = (file) => {
  if (typeof file !== 'string' && !(file instanceof URL)) return false;
  const target = path.resolve(file instanceof URL ? file.pathname : file);
  return target === project || target.startsWith(`${project}${path.sep}`);
};

/**
 * Wraps an fs object so that writes inside project.inlang do nothing.
 * @template {object} T
 * @param {T} api
 * @param {'promise' | 'node'} style
 * @returns {T}
 */
function skipProjectWrites(api, style) {
  return new Proxy(api, {
    get(target, key) {
      const original = Reflect.get(target, key);
      if (typeof key !== 'string' || typeof original !== 'function') return original;
      const base = key.endsWith('Sync') ? key.slice(0, -4) : key;
      if (!WRITES.includes(base)) return original;
      return (/** @type {unknown[]} */ ...args) => {
        if (!insideProject(args[0])) return Reflect.apply(original, target, args);
        if (style === 'promise') return Promise.resolve(undefined);
        const callback = args.at(-1);
        if (!key.endsWith('Sync') && typeof callback === 'function') callback(null);
        return undefined;
      };
    },
  });
}

/**
 * node:fs, except that nothing is written inside project.inlang: the inlang SDK would otherwise
 * add .meta.json, a cache, .lix and a README there on every compile (untracked files that the
 * repository's formatter would check). The project stays one hand-written settings.json.
 */
const readOnlyProjectFs = new Proxy(skipProjectWrites(nodeFs, 'node'), {
  get(target, key) {
    if (key === 'promises') return skipProjectWrites(nodeFs.promises, 'promise');
    return Reflect.get(target, key);
  },
});

/** @type {import('@inlang/paraglide-js').CompilerOptions} */
export const paraglideOptions = {
  project: './project.inlang',
  outdir: './src/lib/paraglide',
  // Italian by default; English when the `lang` cookie says so (set by POST /lingua).
  strategy: ['cookie', 'baseLocale'],
  cookieName: 'lang',
  emitGitIgnore: false,
  emitPrettierIgnore: false,
  emitReadme: false,
  fs: readOnlyProjectFs,
};
