// Problems met while taking an inventory: data the report carries, so nothing hostile or unreadable is
// skipped in silence and one bad file never ends the scan.

export type InventoryIssueCode =
  | 'path-escape'
  | 'special-file'
  | 'oversized-file'
  | 'hardlink-unresolved'
  | 'unsupported-format'
  | 'parse-failed'
  | 'analyzer-failed'
  | 'layer-failed';

export interface InventoryIssue {
  severity: 'error' | 'warning' | 'info';
  code: InventoryIssueCode;
  message: string;
  /** Path inside the image or directory, when the issue is about one file. */
  path?: string;
  /** Layer diff_id, for images. */
  layer?: string;
}
