import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{b as a,c as b}from"./chunk-OYJIGO2C.js";import"./chunk-XAYMIOAA.js";import"./chunk-ES7OPJDC.js";import"./chunk-5YXNFMGL.js";import"./chunk-ZOQXJ2UU.js";export{a as describeParseError,b as parseJsonSteps};
