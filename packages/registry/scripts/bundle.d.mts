/** Bundles a TypeScript entry into one ESM file runnable by plain Node (see bundle.mjs). */
export function bundle(entry: string, outfile: string): Promise<void>;
