import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The page's files: beside this module when it runs from src/ or dist/src/, and at the same place
 * for the bundle dist/server.mjs, which `npm run build` gives a copy in dist/src/dashboard/public.
 */
const PLACES = [new URL('./public/', import.meta.url), new URL('./src/dashboard/public/', import.meta.url)]
export const PUBLIC_DIR = fileURLToPath(PLACES.find((place) => existsSync(place)) as URL)

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
}

export interface Asset {
  body: Buffer
  contentType: string
}

/**
 * The page's files, read on the first visit (not at start-up, which most runs never follow with
 * one) and kept: a dozen small files. Only names in the folder are served, so no path escapes it.
 */
export class DashboardAssets {
  #files: Promise<Map<string, Asset>> | undefined

  constructor(private readonly dir: string = PUBLIC_DIR) {}

  async get(name: string): Promise<Asset | undefined> {
    this.#files ??= this.#load()
    return (await this.#files).get(name)
  }

  async #load(): Promise<Map<string, Asset>> {
    const files = new Map<string, Asset>()
    for (const name of await readdir(this.dir)) {
      const contentType = CONTENT_TYPES[extname(name)]
      if (contentType !== undefined) files.set(name, { body: await readFile(`${this.dir}/${name}`), contentType })
    }
    return files
  }
}
