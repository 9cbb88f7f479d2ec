// The one place the UI library is imported from: htm's standalone Preact build, served from the package.
export { html, render, useState, useEffect, useRef, useMemo, useCallback } from '../vendor/htm/preact/standalone.mjs';
