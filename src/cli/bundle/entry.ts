/** The portable bundle's CLI entry (bundled to lib/gan-studio.js; the `gan-studio` launcher runs it with the bundle's own Node). */
import { main } from '../main';

process.exitCode = await main(process.argv.slice(2));
