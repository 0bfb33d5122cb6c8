// The category tree: create, edit name, slug, description and position, move under another parent (after a
// confirmation, never under itself) and delete.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { CategoryOptions } from '../components/category-options'
import { EmptyState, ErrorBanner, Field, PageHeader, Skeleton, TextField } from '../components/ui'
import { t } from '../i18n'
import { useAction } from '../use-action'
import { useResource } from '../use-resource'

type Category = Schemas['Category']
type Act = (work: () => Promise<unknown>) => Promise<boolean>

/** Ids of `id` and every category below it, from the flattened parents-first list. */
function subtree(categories: Category[], id: string): Set<string> {
  const ids = new Set([id])
  for (const c of categories) if (c.parentId && ids.has(c.parentId)) ids.add(c.id)
  return ids
}

function ParentSelect(props: { id: string; categories: Category[]; value: string; exclude?: Set<string>; onChange: (value: string) => void }) {
  return (
    <select
      id={props.id}
      value={props.value}
      onChange={(e) => {
        const select = e.currentTarget
        props.onChange(select.value)
        // Back to the controlled value: a declined move leaves the state unchanged, so no render would reset the DOM.
        select.value = props.value
      }}
    >
      <option value="">{t('categories.topLevel')}</option>
      <CategoryOptions categories={props.categories} {...(props.exclude ? { exclude: props.exclude } : {})} />
    </select>
  )
}

function CategoryRow(props: { category: Category; all: Category[]; act: Act }) {
  const { category, all, act } = props
  const [draft, setDraft] = useState({ name: category.name, slug: category.slug, description: category.description ?? '', position: String(category.position) })
  const [parent, setParent] = useState(category.parentId ?? '')
  const [error, setError] = useState<unknown>(null)
  const issues = fieldErrors(error)
  const position = Number(draft.position)
  const changed =
    draft.name.trim() !== category.name ||
    draft.slug.trim() !== category.slug ||
    draft.description.trim() !== (category.description ?? '') ||
    draft.position.trim() !== String(category.position)

  const save = (event: Event) => {
    event.preventDefault()
    setError(null)
    void act(async () => {
      try {
        await api.patch('/v1/categories/{id}', {
          path: { id: category.id },
          body: { name: draft.name, slug: draft.slug, description: draft.description.trim() === '' ? null : draft.description, position: Number.isInteger(position) ? position : -1 },
        })
      } catch (caught) {
        setError(caught)
        throw caught
      }
    })
  }
  const move = (parentId: string) => {
    const target = all.find((c) => c.id === parentId)
    const question = target ? t('categories.confirmMove', { name: category.name, parent: target.name }) : t('categories.confirmMoveTop', { name: category.name })
    if (!confirm(question)) {
      setParent(category.parentId ?? '')
      return
    }
    setParent(parentId)
    void act(() => api.patch('/v1/categories/{id}', { path: { id: category.id }, body: { parentId: parentId || null } }))
  }

  return (
    <li class="tree-row" style={{ '--depth': category.depth }} data-category={category.slug}>
      <form class="tree-form" onSubmit={save} noValidate>
        <TextField label={t('categories.nameOf', { name: category.name })} value={draft.name} error={issues.name} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
        <TextField label={t('categories.slugOf', { name: category.name })} value={draft.slug} error={issues.slug} onInput={(e) => setDraft({ ...draft, slug: e.currentTarget.value })} />
        <TextField
          label={t('categories.descriptionOf', { name: category.name })}
          value={draft.description}
          error={issues.description}
          onInput={(e) => setDraft({ ...draft, description: e.currentTarget.value })}
        />
        <TextField
          label={t('categories.positionOf', { name: category.name })}
          type="number"
          min={0}
          step={1}
          class="narrow"
          value={draft.position}
          error={issues.position}
          onInput={(e) => setDraft({ ...draft, position: e.currentTarget.value })}
        />
        <button type="submit" disabled={!changed || draft.name.trim() === ''}>
          {t('common.save')}
        </button>
        <Field label={t('categories.parentOf', { name: category.name })}>
          {(id) => <ParentSelect id={id} categories={all} value={parent} exclude={subtree(all, category.id)} onChange={move} />}
        </Field>
        <small class="muted">{t('categories.productCount', { count: category.productCount })}</small>
        <button
          type="button"
          class="danger"
          aria-label={t('categories.deleteNamed', { name: category.name })}
          onClick={() => confirm(t('categories.confirmDelete', { name: category.name })) && void act(() => api.delete('/v1/categories/{id}', { path: { id: category.id } }))}
        >
          {t('common.delete')}
        </button>
      </form>
    </li>
  )
}

/** The categories page. */
export function CategoriesPage() {
  const categories = useResource(() => api.get('/v1/categories'), [])
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [parentId, setParentId] = useState('')
  const { error, act } = useAction(categories.reload)
  const issues = fieldErrors(error)
  const all = categories.data?.data ?? []
  return (
    <section>
      <PageHeader title={t('nav.categories')} />
      <ErrorBanner error={error ?? categories.error} />
      <form
        class="card inline-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          void act(() => api.post('/v1/categories', { body: { name, parentId: parentId || null, ...(description.trim() ? { description } : {}) } })).then(
            (ok) => ok && (setName(''), setDescription('')),
          )
        }}
      >
        <h2>{t('categories.new')}</h2>
        <TextField label={t('categories.name')} required value={name} error={issues.name} onInput={(e) => setName(e.currentTarget.value)} />
        <TextField label={t('categories.description')} value={description} error={issues.description} onInput={(e) => setDescription(e.currentTarget.value)} />
        <Field label={t('categories.parent')} error={issues.parentId}>
          {(id) => <ParentSelect id={id} categories={all} value={parentId} onChange={setParentId} />}
        </Field>
        <button class="primary" type="submit">
          {t('categories.add')}
        </button>
      </form>
      {categories.data === undefined ? (
        <Skeleton rows={4} label={t('categories.loading')} />
      ) : all.length === 0 ? (
        <EmptyState title={t('categories.empty')} />
      ) : (
        <ul class="tree">
          {all.map((category) => (
            <CategoryRow
              key={`${category.id}:${category.name}:${category.slug}:${category.description ?? ''}:${category.position}:${category.parentId}`}
              category={category}
              all={all}
              act={act}
            />
          ))}
        </ul>
      )}
    </section>
  )
}
