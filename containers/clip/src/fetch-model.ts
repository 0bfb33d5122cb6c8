// Image build step: downloads the configured model into CLIP_MODEL_DIR and proves it loads.
import { loadConfig, MODEL_REPO } from './config'
import { downloadModelFiles, missingFiles, stderrProgress } from './hub'
import { ClipModel } from './model'

const config = loadConfig({ ...process.env, CLIP_ALLOW_DOWNLOAD: 'true' })
const missing = missingFiles(config.modelDir, config.dtype)
await downloadModelFiles({
  hubUrl: config.hubUrl,
  repo: MODEL_REPO,
  dir: config.modelDir,
  files: missing,
  onProgress: stderrProgress(),
})
const model = await ClipModel.load(config.modelDir, config.dtype, 1)
console.error(`fetched ${model.info.name} (${config.dtype}, ${model.info.dims} dims) into ${config.modelDir}`)
await model.release()
