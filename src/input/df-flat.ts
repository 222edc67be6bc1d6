/**
 * df tables whose line breaks a paste lost (a forum post, a chat message, a ticket field): the
 * header and every row of `df`, `df -h`, `df -i` run together on one line, often after the shell
 * prompt that ran it and before whatever followed. The df rules read one row per line, so such a
 * line is cut back into the lines df printed: what came before the header, the header, one piece
 * per row, and what came after the last row.
 *
 * The column titles are GNU coreutils df's (src/df.c: `Filesystem`, `Type`, `Size` / `<n>-blocks`,
 * `Used`, `Avail` / `Available`, `Use%` / `Capacity`, `Inodes`, `IUsed`, `IFree`, `IUse%`,
 * `Mounted on`), read on the normalised message, where localized titles are already English
 * (src/input/locale.ts). The header tells how many cells a row has and what each holds, so the
 * rows are split by what each cell can be, not by guessing at spacing that is gone.
 */

type Cell = 'source' | 'type' | 'number' | 'percent' | 'mount';

const TITLE: ReadonlyMap<string, Cell> = new Map([
  ['Type', 'type'],
  ['Size', 'number'],
  ['Used', 'number'],
  ['Avail', 'number'],
  ['Available', 'number'],
  ['Inodes', 'number'],
  ['IUsed', 'number'],
  ['IFree', 'number'],
  ['Use%', 'percent'],
  ['IUse%', 'percent'],
  ['Capacity', 'percent'],
]);

/** A df header inside a line: `Filesystem`, 2 to 12 known titles, `Mounted on`. */
const HEADER =
  /(?<!\S)Filesystem((?: (?:Type|Size|Used|Avail|Available|Use%|Capacity|Inodes|IUsed|IFree|IUse%|[\w.]{1,8}-blocks)){2,12}) Mounted on(?!\S)/g;

// A size or count as df prints it (`8256952`, `7.8G`, `64K`, `1,5G` in a comma locale, `1.1kB` with
// --si and a B suffix), or `-` where the filesystem has none (inodes on btrfs or vfat).
const NUMBER = /^(?:\d[\d.,]{0,24}[KMGTPEZYRQ]?(?:i?B)?|-)$/i;
const PERCENT = /^(?:\d{1,3}%|-)$/;
const TYPE = /^[a-z][\w.-]{0,30}$/;
// A mount point (df prints `-` as the one of its --total row).
const MOUNT = /^(?:\/\S{0,4095}|-)$/;

/** Longest line looked at: a flattened table is a few kilobytes; the rest is read as it is. */
const MAX_FLAT = 64 * 1024;
/** At most this many rows are read from one header (a node has a few hundred mounts at most). */
const MAX_ROWS = 2000;

function fits(cell: Cell, tok: string): boolean {
  switch (cell) {
    case 'source':
      return true;
    case 'type':
      return TYPE.test(tok);
    case 'number':
      return NUMBER.test(tok);
    case 'percent':
      return PERCENT.test(tok);
    case 'mount':
      return MOUNT.test(tok);
  }
}

/** The cells of a header's rows, from the titles between `Filesystem` and `Mounted on`. */
function cellsOf(titles: string): Cell[] {
  const cells: Cell[] = ['source'];
  for (const t of titles.trim().split(' ')) cells.push(TITLE.get(t) ?? 'number');
  cells.push('mount');
  return cells;
}

/**
 * The lines a df table flattened into `message` was printed as, or undefined when the message
 * holds no df header with something beside it on the line (the common case: a header or a row on
 * its own line, read as it is). Pieces are in order and none is empty.
 */
export function splitFlattenedDf(message: string): string[] | undefined {
  if (message.length > MAX_FLAT || !message.includes('Mounted on') || !message.includes('Filesystem ')) return undefined;
  const pieces: string[] = [];
  let from = 0;
  HEADER.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HEADER.exec(message)) !== null) {
    const before = message.slice(from, m.index).trim();
    if (before !== '') pieces.push(before);
    pieces.push(m[0]);
    const cells = cellsOf(m[1]!);
    let at = m.index + m[0].length;
    // Rows, one token per cell, as long as every token fits its cell.
    for (let rows = 0; rows < MAX_ROWS; rows++) {
      let p = at;
      let ok = true;
      for (const cell of cells) {
        while (message.charCodeAt(p) === 32) p++;
        let e = message.indexOf(' ', p);
        if (e < 0) e = message.length;
        if (e === p || !fits(cell, message.slice(p, e))) {
          ok = false;
          break;
        }
        p = e;
      }
      if (!ok) break;
      pieces.push(message.slice(at, p).trim());
      at = p;
    }
    from = at;
    HEADER.lastIndex = at;
  }
  const after = message.slice(from).trim();
  if (after !== '') pieces.push(after);
  return pieces.length > 1 ? pieces : undefined;
}
