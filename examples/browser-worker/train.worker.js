// The worker: serveTrainer turns each job (plain data posted by the page) into a trainer and runs it,
// reporting progress; functions such as the optimizer stay here, never cross postMessage.
import { adam, createTrainer, loadModel } from '@annlab/train';
import { serveTrainer } from '@annlab/train/worker';

serveTrainer(self, {
  setup: (job) => ({
    trainer: createTrainer(
      loadModel(job.model),
      { x: job.x, y: job.y },
      { epochs: job.epochs, batch: 16, optimizer: adam(0.01), normalize: true },
    ),
    epochs: job.epochs,
  }),
});
