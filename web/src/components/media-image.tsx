// An image under /v1/media read with the session's token into an object URL (an <img> cannot send the token that images
// of unpublished products need); the box keeps its size while it loads.
import { useEffect, useState } from 'preact/hooks'
import { t } from '../i18n'
import { fetchMedia } from './upload'

/** The image at `path`, or a grey box while it loads and a note when it cannot be read. */
export function MediaImage(props: { path: string; alt: string; class?: string }) {
  const [src, setSrc] = useState<string | null>(null)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    const controller = new AbortController()
    let objectUrl: string | null = null
    fetchMedia(props.path, controller.signal).then(
      (blob) => {
        objectUrl = URL.createObjectURL(blob)
        setSrc(objectUrl)
        setFailed(false)
      },
      () => !controller.signal.aborted && setFailed(true),
    )
    return () => {
      controller.abort()
      if (objectUrl) URL.revokeObjectURL(objectUrl)
    }
  }, [props.path])
  return (
    <div class={`${props.class ?? 'image-thumb'}${src ? '' : ' image-thumb--loading'}`}>
      {src ? <img src={src} alt={props.alt} /> : null}
      {failed && !src ? <small class="muted">{t('images.previewUnavailable')}</small> : null}
    </div>
  )
}
