/** An MNIST-format data set: its name, where its official files are, and their names and md5s per split. */
export interface IdxDatasetSpec {
  name: string;
  title: string;
  baseUrl: string;
  files: Record<'train' | 'test', { images: [string, string]; labels: [string, string] }>;
}
