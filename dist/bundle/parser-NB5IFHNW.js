import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c}from"./chunk-AAHTODUX.js";import"./chunk-ZOQXJ2UU.js";export{c as firstSyntaxError,b as parsePython,a as pythonParser};
