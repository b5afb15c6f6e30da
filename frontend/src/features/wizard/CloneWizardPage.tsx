export default function CloneWizardPage() {
  return <h1>New clone</h1>;
}
