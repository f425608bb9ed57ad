/** Saves bytes as a file: the API needs an Authorization header, so a plain link cannot fetch them. */
export function saveFile(bytes: Uint8Array, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The download has its own copy by the next tick.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
