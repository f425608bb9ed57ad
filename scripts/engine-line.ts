// What `npm start` prints about the training engine, from /readyz's `engine` (the API computes it; the
// worker started beside it has the same machine and environment).

/** GET /readyz's `engine`. */
export interface EngineStatus {
  backend: string;
  available: string[];
  faster: { backend: string; how: string } | null;
}

export function formatEngine(engine: EngineStatus): string {
  const line = `  training engine: ${engine.backend} kernel (available here: ${engine.available.join(', ')})`;
  if (engine.faster === null) return line;
  return (
    `${line}\n` +
    `  ${engine.faster.backend} is faster and not in use here. To get it:\n` +
    `    ${engine.faster.how}\n` +
    `  then start again.`
  );
}
