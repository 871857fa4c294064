/** The bundle's entry (scripts/buildConsole.ts): the only module that starts anything. */
import { startConsole } from "./app.js";

startConsole({
  doc: document,
  location: window.location,
  fetch: window.fetch.bind(window),
  now: () => Date.now(),
  openSocket: (url) => new WebSocket(url),
  audioContext: () => new AudioContext(),
  setInterval: (f, ms) => window.setInterval(f, ms),
  setTimeout: (f, ms) => window.setTimeout(f, ms),
});
