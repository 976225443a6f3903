// Parses each neutralised text with mfm.js and reports the node types it
// found besides plain text, URLs, hashtags and emoji, and the URLs and
// hashtags, for mfm_js_test.go to compare with what Neutralise copied.
//
// usage: node mfmcheck.mjs MFMJS_MODULE < cases.json > results.json
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const mfm = await import(pathToFileURL(process.argv[2]).href);
const allowed = new Set(['text', 'url', 'hashtag', 'unicodeEmoji']);
const cases = JSON.parse(readFileSync(0, 'utf8'));
const results = cases.map((text) => {
	const bad = [];
	const urls = [];
	const tags = [];
	mfm.inspect(mfm.parse(text), (node) => {
		if (!allowed.has(node.type)) bad.push(node.type);
		if (node.type === 'url') urls.push(node.props.url);
		if (node.type === 'hashtag') tags.push(node.props.hashtag);
	});
	return { bad, urls, tags };
});
process.stdout.write(JSON.stringify(results));
