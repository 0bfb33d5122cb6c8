// The category tree: create, rename, move under another parent (never under itself) and delete.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { EmptyState, ErrorBanner, Field, PageHeader, Skeleton, TextField } from '../components/ui'
import { useAction } from '../use-action'
import { useResource } from '../use-resource'
import { CategoryOptions } from '../components/category-options'

type Category = Schemas['Category']

/** Ids of `id` and every category below it, from the flattened parents-first list. */
function subtree(categories: Category[], id: string): Set<string> {
  const ids = new Set([id])
  for (const c of categories) if (c.parentId && ids.has(c.parentId)) ids.add(c.id)
  return ids
}

function ParentSelect(props: { id: string; categories: Category[]; value: string; exclude?: Set<string>; onChange: (value: string) => void }) {
  return (
    <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
      <option value="">Top level</option>
      <CategoryOptions categories={props.categories} {...(props.exclude ? { exclude: props.exclude } : {})} />
    </select>
  )
}

function CategoryRow(props: { category: Category; all: Category[]; act: (work: () => Promise<unknown>) => Promise<boolean> }) {
  const { category, all, act } = props
  const [name, setName] = useState(category.name)
  return (
    <li class="tree-row" style={{ '--depth': category.depth }}>
      <form
        class="tree-form"
        onSubmit={(event) => {
          event.preventDefault()
          void act(() => api.patch('/v1/categories/{id}', { path: { id: category.id }, body: { name } }))
        }}
      >
        <Field label={`Name of ${category.name}`}>{(id) => <input id={id} value={name} onInput={(e) => setName(e.currentTarget.value)} />}</Field>
        <button type="submit" disabled={name.trim() === category.name || name.trim() === ''}>
          Rename
        </button>
        <Field label={`Parent of ${category.name}`}>
          {(id) => (
            <ParentSelect
              id={id}
              categories={all}
              value={category.parentId ?? ''}
              exclude={subtree(all, category.id)}
              onChange={(parentId) => void act(() => api.patch('/v1/categories/{id}', { path: { id: category.id }, body: { parentId: parentId || null } }))}
            />
          )}
        </Field>
        <small class="muted">{category.productCount} products</small>
        <button
          type="button"
          class="danger"
          aria-label={`Delete ${category.name}`}
          onClick={() => confirm(`Delete “${category.name}”? Its subcategories move up and its products become uncategorised.`) && void act(() => api.delete('/v1/categories/{id}', { path: { id: category.id } }))}
        >
          Delete
        </button>
      </form>
    </li>
  )
}

/** The categories page. */
export function CategoriesPage() {
  const categories = useResource(() => api.get('/v1/categories'), [])
  const [name, setName] = useState('')
  const [parentId, setParentId] = useState('')
  const { error, act } = useAction(categories.reload)
  const issues = fieldErrors(error)
  const all = categories.data?.data ?? []
  return (
    <section>
      <PageHeader title="Categories" />
      <ErrorBanner error={error ?? categories.error} />
      <form
        class="card inline-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          void act(() => api.post('/v1/categories', { body: { name, parentId: parentId || null } })).then((ok) => ok && setName(''))
        }}
      >
        <h2>New category</h2>
        <TextField label="Category name" required value={name} error={issues.name} onInput={(e) => setName(e.currentTarget.value)} />
        <Field label="Parent" error={issues.parentId}>
          {(id) => <ParentSelect id={id} categories={all} value={parentId} onChange={setParentId} />}
        </Field>
        <button class="primary" type="submit">
          Add category
        </button>
      </form>
      {categories.data === undefined ? (
        <Skeleton rows={4} label="Loading categories" />
      ) : all.length === 0 ? (
        <EmptyState title="No categories yet" />
      ) : (
        <ul class="tree">
          {all.map((category) => (
            <CategoryRow key={`${category.id}:${category.name}:${category.parentId}`} category={category} all={all} act={act} />
          ))}
        </ul>
      )}
    </section>
  )
}
