import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{b as a,c as b}from"./chunk-FYENRXLE.js";import"./chunk-GD5M3JWD.js";import"./chunk-ZOQXJ2UU.js";export{b as parseYaml,a as toYaml};
