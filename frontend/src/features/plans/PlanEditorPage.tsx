export default function PlanEditorPage() {
  return <h1>Resize plans</h1>;
}
