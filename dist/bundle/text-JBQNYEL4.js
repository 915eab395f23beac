import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-IH3UWKST.js";import"./chunk-ZOQXJ2UU.js";export{a as formatSummary,b as formatText};
