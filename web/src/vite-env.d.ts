// Vite client types: lets the entry import the stylesheet.
/// <reference types="vite/client" />
