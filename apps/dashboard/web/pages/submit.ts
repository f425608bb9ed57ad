import type { Dataset, JobSubmitBody } from '@trainyard/client';
import { DatasetPicker } from '../components/dataset-picker.ts';
import { FieldErrors } from '../components/field-errors.ts';
import { field, numberInput, readNumber, select } from '../components/field.ts';
import { LayerStack } from '../components/layer-stack.ts';
import { h } from '../dom.ts';
import { handleAuthError, navigate, type View } from '../router.ts';
import { session } from '../session.ts';

type Training = NonNullable<JobSubmitBody['training']>;
type Layer = JobSubmitBody['model']['layers'][number];

/** The output layer a dataset calls for: one softmax unit per class, one linear unit for regression. */
function outputLayerFor(dataset: Dataset): Layer {
  if (dataset.task === 'regression') return { units: 1, activation: 'linear' };
  return { units: Math.max(2, dataset.classes?.length ?? 2), activation: 'softmax' };
}

/** Submit a job: dataset, layer stack, hyperparameters; the API's validation errors land beside their fields. */
export function submitPage(query: URLSearchParams): View {
  const client = session.client();
  const banner = h('div');
  const preview = h('pre', { class: 'spec' });

  const controls = {
    epochs: numberInput('epochs', { value: 50, step: '1', min: '1' }),
    batchSize: numberInput('batchSize', { value: 32, step: '1', min: '1' }),
    optimizer: select('optimizer', [['adam', 'adam'], ['sgd', 'sgd']], 'adam'),
    learningRate: numberInput('learningRate', { value: 0.01, min: '0' }),
    momentum: numberInput('momentum', { placeholder: 'default', min: '0' }),
    weightDecay: numberInput('weightDecay', { placeholder: '0', min: '0' }),
    loss: select('loss', [['', 'default'], ['cross_entropy', 'cross_entropy'], ['binary_cross_entropy', 'binary_cross_entropy'], ['mse', 'mse']]),
    validationSplit: numberInput('validationSplit', { value: 0.2, min: '0', step: '0.05' }),
    testSplit: numberInput('testSplit', { placeholder: '0', min: '0', step: '0.05' }),
    classWeights: select('classWeights', [['', 'none'], ['balanced', 'balanced']]),
    seed: numberInput('seed', { placeholder: 'default', step: '1', min: '0' }),
    shuffle: h('input', { type: 'checkbox', name: 'shuffle', checked: true }),
    normalize: h('input', { type: 'checkbox', name: 'normalize', checked: true }),
    earlyStopping: h('input', { type: 'checkbox', name: 'earlyStopping' }),
    earlyMetric: select('earlyMetric', [['valLoss', 'valLoss'], ['loss', 'loss'], ['valAccuracy', 'valAccuracy'], ['accuracy', 'accuracy']]),
    patience: numberInput('patience', { value: 10, step: '1', min: '1' }),
    everyEpochs: numberInput('everyEpochs', { placeholder: '10', step: '1', min: '1' }),
    keep: numberInput('keep', { placeholder: '5', step: '1', min: '0' }),
  };

  const layers = new LayerStack([{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }], () => updatePreview());
  const picker = new DatasetPicker(client, (dataset) => {
    if (dataset !== null) {
      layers.setInputSize(`input: ${dataset.features.length} features${dataset.columns ? ' (encoded by the service: one-hot categories, missing indicators, dates)' : ''}`);
      layers.setOutput(outputLayerFor(dataset));
    }
    updatePreview();
  });

  function body(): JobSubmitBody {
    const training: Training = {
      epochs: readNumber(controls.epochs),
      batchSize: readNumber(controls.batchSize),
      optimizer: {
        type: controls.optimizer.value as 'adam' | 'sgd',
        learningRate: readNumber(controls.learningRate),
        momentum: controls.optimizer.value === 'sgd' ? readNumber(controls.momentum) : undefined,
        weightDecay: readNumber(controls.weightDecay),
      },
      loss: (controls.loss.value || undefined) as Training['loss'],
      validationSplit: readNumber(controls.validationSplit),
      testSplit: readNumber(controls.testSplit),
      classWeights: controls.classWeights.value === 'balanced' ? 'balanced' : undefined,
      seed: readNumber(controls.seed),
      shuffle: controls.shuffle.checked,
      normalize: controls.normalize.checked,
      earlyStopping: controls.earlyStopping.checked
        ? { metric: controls.earlyMetric.value as 'valLoss', patience: readNumber(controls.patience) }
        : null,
    };
    const snapshots = { everyEpochs: readNumber(controls.everyEpochs), keep: readNumber(controls.keep) };
    // JSON drops the undefined fields: the API fills its defaults in.
    return JSON.parse(JSON.stringify({ dataset: picker.select.value, model: { layers: layers.layers() }, training, snapshots })) as JobSubmitBody;
  }

  function updatePreview(): void {
    preview.textContent = JSON.stringify(body(), null, 2);
    controls.momentum.disabled = controls.optimizer.value !== 'sgd';
    controls.earlyMetric.disabled = controls.patience.disabled = !controls.earlyStopping.checked;
  }

  const submit = h('button', { type: 'submit', class: 'primary' }, 'Submit job');
  const form = h(
    'form',
    {
      class: 'submit-form',
      novalidate: true, // the API validates; its messages are shown beside the fields
      oninput: () => updatePreview(),
      onchange: () => updatePreview(),
      onsubmit: async (event: Event) => {
        event.preventDefault();
        submit.disabled = true;
        errors.clear();
        try {
          const job = await client.submitJob(body());
          navigate(`/jobs/${job.id}`);
        } catch (error) {
          if (!handleAuthError(error)) {
            errors.show(error);
            banner.scrollIntoView({ block: 'nearest' });
          }
          submit.disabled = false;
        }
      },
    },
    h('div', { class: 'card' }, h('h2', null, '1. Data'), picker.element),
    h('div', { class: 'card', dataset: { path: 'model' } }, h('h2', null, '2. Model'), layers.element),
    h(
      'div',
      { class: 'card' },
      h('h2', null, '3. Training'),
      h(
        'div',
        { class: 'field-grid' },
        field('Epochs', controls.epochs, 'training.epochs'),
        field('Batch size', controls.batchSize, 'training.batchSize'),
        field('Optimizer', controls.optimizer, 'training.optimizer.type'),
        field('Learning rate', controls.learningRate, 'training.optimizer.learningRate'),
        field('Momentum (sgd)', controls.momentum, 'training.optimizer.momentum'),
        field('Weight decay', controls.weightDecay, 'training.optimizer.weightDecay'),
        field('Loss', controls.loss, 'training.loss'),
        field('Validation split', controls.validationSplit, 'training.validationSplit', '0 for none'),
        field('Test split', controls.testSplit, 'training.testSplit', 'held out, only evaluated'),
        field('Class weights', controls.classWeights, 'training.classWeights'),
        field('Seed', controls.seed, 'training.seed'),
        field('Snapshot every (epochs)', controls.everyEpochs, 'snapshots.everyEpochs'),
        field('Snapshots kept', controls.keep, 'snapshots.keep'),
        field('Early stopping on', controls.earlyMetric, 'training.earlyStopping.metric'),
        field('Patience (epochs)', controls.patience, 'training.earlyStopping.patience'),
      ),
      h(
        'div',
        { class: 'checks' },
        field('Shuffle each epoch', controls.shuffle, 'training.shuffle'),
        field('Normalize inputs', controls.normalize, 'training.normalize'),
        field('Early stopping', controls.earlyStopping, 'training.earlyStopping'),
      ),
    ),
    banner,
    h('div', { class: 'form-actions' }, submit),
    h('details', { class: 'card spec-card' }, h('summary', null, 'Request body (JSON)'), preview),
  );
  const errors = new FieldErrors(form, banner);
  updatePreview();
  void picker.load(query.get('dataset')).catch((error) => {
    if (!handleAuthError(error)) errors.show(error);
  });

  return { title: 'New job', element: h('section', null, h('div', { class: 'page-head' }, h('h1', null, 'New job')), form) };
}
