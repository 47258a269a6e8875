import { Suspense } from "react";
import { SignInForm } from "./sign-in-form";

export const dynamic = "force-dynamic";

export default function SignInPage() {
  return (
    <main className="signin card">
      <h2>Callback Service — sign in</h2>
      {/* the form reads ?callbackUrl, which needs a Suspense boundary */}
      <Suspense>
        <SignInForm />
      </Suspense>
    </main>
  );
}
