// eslint-disable-next-line no-control-regex -- every ASCII character, control characters too
const ASCII = /^[\x00-\x7f]*$/;

/**
 * Text as the searches and name sorts compare it: lower case in every script, and without accents
 * (marks removed after canonical decomposition), so "école", "ÉCOLE" and "ecole" find "École", and
 * "ΣΊΣΥΦΟΣ" finds "σίσυφος". The Experiments screen (in the page) and the Runs screen (in SQL,
 * where the store registers it as the function `aisle_fold`) fold alike, so one search finds the
 * same experiments on both. SQLite's LIKE and NOCASE fold ASCII letters only: "école" found
 * nothing there, and "ÉCOLE" sorted after "zz".
 */
export function searchFold(text: string): string {
  // ASCII decomposes to itself and holds no marks: lower case alone, many times faster (the Experiments
  // page folds every experiment's name, description and ids in SQL at each search).
  if (ASCII.test(text)) return text.toLowerCase();
  // NFKD splits "É" into "E" and a combining acute, and "ﬁ" into "fi"; the marks go; then lower
  // case (after, so that "İ" (I with a dot) reads as "i", as a user typing "istanbul" means).
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
