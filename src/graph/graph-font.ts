import { fileURLToPath } from 'node:url';

/** Inter (SIL Open Font License, assets/fonts/OFL.txt) ships with Belay: no system fonts are needed or read. */
export const GRAPH_FONT_FILE = fileURLToPath(
  new URL('../../assets/fonts/Inter-Regular.ttf', import.meta.url),
);
