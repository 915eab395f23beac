import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{createRequire as r}from"node:module";var i=/^# mpistep-migrate sha256:([0-9a-f]{16})\b[^\n]*\n/,o=r(import.meta.url);function n(e){let{createHash:t}=o("node:crypto");return t("sha256").update(e).digest("hex").slice(0,16)}function a(e){return`# mpistep-migrate sha256:${n(e)} (generated: once edited, the tool keeps this file)
${e}`}function c(e){let t=i.exec(e);return t!==null&&n(e.slice(t[0].length))===t[1]}export{a,c as b};
