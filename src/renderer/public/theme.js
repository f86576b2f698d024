// The theme the user chose (the sidebar's Theme control; src/renderer/src/color-scheme.ts), put on
// the page before anything is drawn. A classic script in <head> blocks the first paint, where the
// app's module runs only after the page is parsed: from there, a dark OS with Light chosen would
// flash dark first. It is a file of its own because the CSP allows no inline script. The key and
// the values are color-scheme.ts's.
try {
  const theme = localStorage.getItem('aisle.theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  // Storage refused (a locked-down profile): the OS's scheme, as with System.
}
