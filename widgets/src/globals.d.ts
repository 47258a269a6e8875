// Values the widget build (widgets/build.ts) inlines: the callback-form stylesheet, minified, and the country
// calling codes as `US1,GB44,…` (from libphonenumber-js's metadata, so they follow the server's library).
declare const __FORM_CSS__: string;
declare const __COUNTRIES__: string;
