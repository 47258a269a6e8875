import { SignInForm } from "./sign-in-form";

export const dynamic = "force-dynamic";

export default function SignInPage() {
  return (
    <main className="signin card">
      <h2>Callback Service — sign in</h2>
      <SignInForm />
    </main>
  );
}
