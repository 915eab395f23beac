import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{readFileSync as r}from"node:fs";function n(){return"0.1.0"}export{n as a};
