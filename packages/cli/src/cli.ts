import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`nntk: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
