import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a}from"./chunk-5BS2JJZP.js";import"./chunk-SZ3RVT5D.js";import"./chunk-VYRQR3SL.js";import"./chunk-O265LU5M.js";import"./chunk-HDJNGH67.js";import"./chunk-ZOQXJ2UU.js";export{a as parsePythonSteps};
