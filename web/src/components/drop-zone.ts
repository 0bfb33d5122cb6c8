// Drag-and-drop behaviour shared by every drop zone: accept a copy, highlight while files hover, hand over dropped files.
import type { TargetedDragEvent } from 'preact'

type DragHandler = (event: TargetedDragEvent<HTMLElement>) => void

/** Handlers to spread on a drop zone element; `setOver` drives its highlight, `onFiles` receives what was dropped. */
export function dropZoneHandlers(setOver: (over: boolean) => void, onFiles: (files: File[]) => void): { onDragOver: DragHandler; onDragLeave: DragHandler; onDrop: DragHandler } {
  return {
    onDragOver: (event) => {
      event.preventDefault()
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
      setOver(true)
    },
    onDragLeave: (event) => {
      if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOver(false)
    },
    onDrop: (event) => {
      event.preventDefault()
      setOver(false)
      onFiles(Array.from(event.dataTransfer?.files ?? []))
    },
  }
}
