import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-OUVLDEBP.js";import"./chunk-VTCPJKVG.js";import"./chunk-ZOQXJ2UU.js";export{b as sdkRejections,a as sdkVersion};
