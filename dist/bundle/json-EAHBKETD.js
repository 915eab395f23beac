import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{b as a,c as b}from"./chunk-E7J54RQ6.js";import"./chunk-SESAAGEK.js";import"./chunk-ES7OPJDC.js";import"./chunk-ZOQXJ2UU.js";export{a as describeParseError,b as parseJsonSteps};
