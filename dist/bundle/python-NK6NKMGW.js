import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b}from"./chunk-QCIMV7LD.js";import"./chunk-QCJTZO62.js";import"./chunk-AAHTODUX.js";import"./chunk-XAYMIOAA.js";import"./chunk-ES7OPJDC.js";import"./chunk-5YXNFMGL.js";import"./chunk-ZOQXJ2UU.js";export{a as misreadOffsets,b as parsePythonSteps};
