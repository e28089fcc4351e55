/**
 * A level of the option tree's declarations, shared between evaluations that declare
 * it with the very same option sets.
 *
 * Which options a level has, and the declarations of each, follow from the option
 * sets the level's modules contribute (in module order) and nothing else: not from
 * `config`, not from the prefix. Those sets are very often the same objects from one
 * evaluation to the next: the internal module's `_module` options in every
 * evaluation, a static submodule's options in each of its values, the options of
 * module functions whose options are shared (engine.ts, `sharedOptionsOf`) in a
 * configuration and its specialisations. The engine then indexes them once instead of
 * once per evaluation (a map entry and a declaration record per option name).
 *
 * Entries are found by the first set (weakly held) and compared set by set and file
 * by file; what an entry holds is the engine's business.
 */

/** Entries kept per first set: a configuration, its specialisations, a few submodule shapes. */
const maxEntries = 8;

export interface DeclEntry<T> {
  readonly sets: readonly object[];
  readonly files: readonly string[];
  readonly value: T;
}

export class DeclCache<T> {
  private readonly byFirst = new WeakMap<object, DeclEntry<T>[]>();

  find(sets: readonly object[], files: readonly string[]): DeclEntry<T> | undefined {
    const es = this.byFirst.get(sets[0]!);
    if (es === undefined) return undefined;
    const n = sets.length;
    for (let e = 0; e < es.length; e++) {
      const x = es[e]!;
      if (x.sets.length !== n) continue;
      let same = true;
      for (let i = 0; i < n && same; i++) same = x.sets[i] === sets[i] && x.files[i] === files[i];
      if (same) return x;
    }
    return undefined;
  }

  add(sets: readonly object[], files: readonly string[], value: T): void {
    const first = sets[0]!;
    const es = this.byFirst.get(first);
    const entry = { sets, files, value };
    if (es === undefined) this.byFirst.set(first, [entry]);
    else if (es.length < maxEntries) es.push(entry);
  }
}
